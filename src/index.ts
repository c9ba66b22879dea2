/**
 * The package root, for library users and the README's examples: the scaling decision
 * (`import { decide, DEFAULT_POLICY } from 'kafka-lag-scaler'`) and the control loop around it
 * (`createControlLoop`), as the Lambda runs them. Each module's own index is the one list of what
 * it offers.
 */
export * from './control/index.js';
export * from './decision/index.js';
