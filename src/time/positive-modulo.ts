/** `%` keeps the dividend's sign; clocks and grids need a remainder in [0, divisor) for instants before 1970 too. */
export function positiveModulo (value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor
}
