/** Neumaier's compensated sum: sums of a million log terms stay exact to about 1e-16 relative. */
export class CompensatedSum {
  private sum = 0;
  private c = 0;
  add(x: number): void {
    const t = this.sum + x;
    if (Math.abs(this.sum) >= Math.abs(x)) this.c += this.sum - t + x;
    else this.c += x - t + this.sum;
    this.sum = t;
  }
  get value(): number {
    return this.sum + this.c;
  }
}
