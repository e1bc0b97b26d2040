import { describe, expect, it } from 'vitest';
import { inferRole } from '../../src/lib/roles';
import { kindOfType, type ColumnInfo } from '../../src/lib/schema';

const col = (name: string, type: string): ColumnInfo => ({ name, type, kind: kindOfType(type) });

describe('inferRole', () => {
  it.each([
    ['prediction_id', 'VARCHAR', 'id'],
    ['id', 'BIGINT', 'id'],
    ['requestId', 'VARCHAR', 'id'],
    ['timestamp', 'TIMESTAMP', 'timestamp'],
    ['event_time', 'VARCHAR', 'timestamp'],
    ['created', 'DATE', 'timestamp'],
    ['event_ts', 'BIGINT', 'timestamp'],
    ['time', 'FLOAT', 'feature'],
    ['date', 'INTEGER', 'feature'],
    ['label', 'BIGINT', 'label'],
    ['is_fraud', 'BOOLEAN', 'label'],
    ['y_true', 'DOUBLE', 'label'],
    ['score', 'DOUBLE', 'score'],
    ['fraud_probability', 'DOUBLE', 'score'],
    ['prediction', 'BIGINT', 'prediction'],
    ['predicted_class', 'VARCHAR', 'prediction'],
    ['segment', 'VARCHAR', 'segment'],
    ['country', 'VARCHAR', 'segment'],
    ['amount', 'DOUBLE', 'feature'],
    ['merchant_category', 'VARCHAR', 'feature'],
    ['payload', 'BLOB', 'ignore'],
    ['latency_ms', 'DOUBLE', 'latency'],
    ['responseTime', 'BIGINT', 'latency'],
    ['duration', 'INTEGER', 'latency'],
    ['latency_ms', 'VARCHAR', 'feature'],
    ['status', 'VARCHAR', 'status'],
    ['http_status', 'SMALLINT', 'status'],
    ['status_code', 'INTEGER', 'status'],
    ['account_status', 'VARCHAR', 'feature'],
  ])('%s (%s) is %s', (name, type, role) => {
    expect(inferRole(col(name, type))).toBe(role);
  });
});
