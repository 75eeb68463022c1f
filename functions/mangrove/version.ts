/** Kept equal to package.json's version by a test; a JSON import would drag the whole manifest into every bundle. */
export const PRODUCT_VERSION = '0.1.0';
export const USER_AGENT = `batch-autopilot/${PRODUCT_VERSION} (+Mangrove batch generation; node ${process.versions.node})`;
