export { startSimulator } from './server.js';
export type { RecordedRequest } from './recorded-request.js';
export type { Simulator, SimulatorOptions } from './server.js';
export { DEMO_INPUT_TYPES, DEMO_LEDGERS, DEMO_READONLY_TOKEN, DEMO_TOKEN, demoSeed } from './demo-seed.js';
export type { Fault, FaultController } from './faults.js';
export type { RouteKey } from './routes.js';
export { loadSeedFile, SeedError } from './seed.js';
export type { SimulatorSeed } from './seed.js';
export type { TaskTiming } from './task-lifecycle.js';
