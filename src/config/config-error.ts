/** A setting that stops the service at boot. The message always starts with the variable's name. */
export class ConfigError extends Error {
  constructor (readonly variable: string, problem: string) {
    super(`${variable}: ${problem}`)
    this.name = 'ConfigError'
  }
}
