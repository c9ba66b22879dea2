/**
 * The package root: the scaling decision, for library users and the README's example
 * (`import { decide, DEFAULT_POLICY } from 'kafka-lag-scaler'`). The decision module's own index
 * is the one list of what it offers.
 */
export * from './decision/index.js';
