// asl-validator 4 ships no type declarations; this is the part we call.
declare module 'asl-validator' {
  interface ValidationResult {
    isValid: boolean;
    errors: Array<Record<string, unknown>>;
    errorsText(separator?: string): string;
  }
  const validator: (definition: unknown, options?: Record<string, unknown>) => ValidationResult;
  export default validator;
}
