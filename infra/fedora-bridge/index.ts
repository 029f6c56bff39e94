/** The AMQP bridge from Fedora Messaging to the IngestSink. See `bridge.ts` for the behaviour. */
export { startBridge } from './bridge';
export type { BridgeDependencies, BridgeHandle } from './bridge';
export type { CatchUp } from './catch-up';
export { runBridgeProcess } from './process';
export type { BridgeProcessOptions } from './process';
export { bridgeConfigSchema, parseBridgeConfig } from './config';
export type { BridgeConfig, BridgeConfigInput } from './config';
export { rebuildRoutingKeys } from './routing-keys';
export type { FedoraEnvironment } from './routing-keys';
export type { BridgeState, BridgeStats } from './stats';
export { isUnparsed, toBridgeRecord } from './wire-message';
export type { BridgeRecord, FedoraWireMessage, UnparsedDelivery, UnparsedReason } from './wire-message';
