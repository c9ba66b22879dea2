/** The logging the controller does: Powertools Logger in the Lambda, a stderr logger in the CLI. */
export interface ControllerLogger {
  info(message: string, ...attributes: Record<string, unknown>[]): void;
  warn(message: string, ...attributes: Record<string, unknown>[]): void;
  error(message: string, ...attributes: Record<string, unknown>[]): void;
}
