import type { Json } from './jsonAccess';

/**
 * A decoder for Universal Binary JSON (https://ubjson.org, draft 12), the format of XGBoost's
 * `save_model("model.ubj")` (src/common/json.cc UBJWriter). Big-endian; containers may carry a count
 * ('#') and an element type ('$'); typed numeric arrays decode to typed arrays so large models stay
 * compact. Throws on anything malformed.
 */
export function decodeUbjson(bytes: Uint8Array): Json {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let pos = 0;

  const need = (n: number) => {
    if (pos + n > bytes.length) throw new Error('UBJSON ends early');
  };
  const byte = () => {
    need(1);
    return bytes[pos++]!;
  };
  const marker = () => {
    let m = byte();
    while (m === 0x4e) m = byte(); // 'N' no-op
    return m;
  };

  function count(type: number): number {
    let v: number;
    switch (type) {
      case 0x69: // i int8
        need(1);
        v = view.getInt8(pos);
        pos += 1;
        break;
      case 0x55: // U uint8
        need(1);
        v = view.getUint8(pos);
        pos += 1;
        break;
      case 0x49: // I int16
        need(2);
        v = view.getInt16(pos);
        pos += 2;
        break;
      case 0x6c: // l int32
        need(4);
        v = view.getInt32(pos);
        pos += 4;
        break;
      case 0x4c: // L int64
        need(8);
        v = Number(view.getBigInt64(pos));
        pos += 8;
        break;
      default:
        throw new Error(`UBJSON length has type ${String.fromCharCode(type)}`);
    }
    if (v < 0) throw new Error('UBJSON length is negative');
    return v;
  }

  function string(): string {
    const n = count(marker());
    need(n);
    const s = utf8.decode(bytes.subarray(pos, pos + n));
    pos += n;
    return s;
  }

  function scalar(type: number): Json {
    switch (type) {
      case 0x5a: // Z null
        return null;
      case 0x54: // T
        return true;
      case 0x46: // F
        return false;
      case 0x69:
      case 0x55:
      case 0x49:
      case 0x6c:
        return count0(type);
      case 0x4c:
        need(8);
        pos += 8;
        return Number(view.getBigInt64(pos - 8));
      case 0x64: // d float32
        need(4);
        pos += 4;
        return view.getFloat32(pos - 4);
      case 0x44: // D float64
        need(8);
        pos += 8;
        return view.getFloat64(pos - 8);
      case 0x43: // C char
        return String.fromCharCode(byte());
      case 0x53: // S string
        return string();
      case 0x48: // H high-precision number as a string
        return Number(string());
      case 0x5b:
        return array();
      case 0x7b:
        return object();
      default:
        throw new Error(`unknown UBJSON marker 0x${type.toString(16)} at byte ${pos - 1}`);
    }
  }

  /** Signed integer values (unlike lengths, they may be negative). */
  function count0(type: number): number {
    const sizes: Record<number, number> = { 0x69: 1, 0x55: 1, 0x49: 2, 0x6c: 4 };
    const n = sizes[type]!;
    need(n);
    pos += n;
    if (type === 0x69) return view.getInt8(pos - 1);
    if (type === 0x55) return view.getUint8(pos - 1);
    if (type === 0x49) return view.getInt16(pos - 2);
    return view.getInt32(pos - 4);
  }

  function header(): { type: number | undefined; n: number | undefined } {
    let type: number | undefined;
    let n: number | undefined;
    if (bytes[pos] === 0x24) {
      pos++;
      type = byte();
      if (byte() !== 0x23) throw new Error('UBJSON typed container without a count');
      n = count(marker());
    } else if (bytes[pos] === 0x23) {
      pos++;
      n = count(marker());
    }
    return { type, n };
  }

  function typedArray(type: number, n: number): Json {
    const widths: Record<number, number> = { 0x64: 4, 0x44: 8, 0x6c: 4, 0x4c: 8, 0x69: 1, 0x55: 1, 0x49: 2 };
    const width = widths[type];
    if (width === undefined) return Array.from({ length: n }, () => scalar(type));
    need(n * width);
    const start = pos;
    pos += n * width;
    const read = <T extends { [i: number]: number | bigint }>(out: T, get: (offset: number) => number | bigint): T => {
      for (let i = 0; i < n; i++) out[i] = get(start + i * width);
      return out;
    };
    switch (type) {
      case 0x64:
        return read(new Float32Array(n), (o) => view.getFloat32(o));
      case 0x44:
        return read(new Float64Array(n), (o) => view.getFloat64(o));
      case 0x6c:
        return read(new Int32Array(n), (o) => view.getInt32(o));
      case 0x4c:
        return read(new BigInt64Array(n), (o) => view.getBigInt64(o));
      case 0x69:
        return read(new Int8Array(n), (o) => view.getInt8(o));
      case 0x55:
        return bytes.slice(start, start + n);
      default:
        return read(new Int16Array(n), (o) => view.getInt16(o));
    }
  }

  function array(): Json {
    const { type, n } = header();
    if (n !== undefined && type !== undefined) return typedArray(type, n);
    const out: Json[] = [];
    if (n !== undefined) {
      for (let i = 0; i < n; i++) out.push(scalar(marker()));
      return out;
    }
    for (let m = marker(); m !== 0x5d; m = marker()) out.push(scalar(m));
    return out;
  }

  function object(): Json {
    const { type, n } = header();
    const out: { [key: string]: Json } = {};
    const value = () => scalar(type ?? marker());
    if (n !== undefined) {
      for (let i = 0; i < n; i++) {
        const key = string();
        out[key] = value();
      }
      return out;
    }
    while (true) {
      if (bytes[pos] === 0x7d) {
        pos++;
        return out;
      }
      const key = string();
      out[key] = value();
    }
  }

  const result = scalar(marker());
  return result;
}
