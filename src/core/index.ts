/**
 * Fanout's simulation engine: pure, deterministic TypeScript, the same in Node and in
 * the browser. The store, the CLI, the tests and the benchmarks all drive it through
 * these exports.
 */
export { histPercentile, histSummary } from './histogram';
export type {
  ExchangeType,
  Model,
  NodeInfo,
  NodeKind,
  QueueInfo,
  RoutingTable,
  ServiceInfo,
} from './model';
export { buildModel, compensationTypes, exchangeRoutes, routingTables, SagaMsg } from './model';
export type { LatencySummary, QueueReport, Report, ServiceReport } from './reportTypes';
export type {
  Architecture,
  FaultMode,
  FaultSpec,
  ParseResult,
  Scenario,
  ScenarioInput,
  ScenarioProblem,
  ServiceSpec,
  SettingField,
} from './scenario';
export {
  BROKER_FAULT_TARGET,
  chainOf,
  formatProblems,
  parseScenario,
  parseScenarioText,
  runArchitecture,
  MAX_SERVICES,
  SCENARIO_VERSION,
  SETTING_FIELDS,
  scenarioJsonSchema,
} from './scenario';
export { checkScenarioBuilds } from './runnable';
export type { HiddenCharacter } from './text';
export { findHiddenCharacter, showHidden, stripHidden } from './text';
export type { EventHop, EventLoop, LoopKind, TopologyAnalysis } from './topology';
export { analyseTopology, bindingMatches, latencyCanBeZero, runawayReason } from './topology';
export type {
  FaultSettings,
  MessageView,
  QueueView,
  RunOptions,
  ServiceView,
  SimOptions,
} from './simulation';
export { liveItems, Simulation } from './simulation';
export { type SeriesView, seriesView } from './series';
export type { PartitionView } from './broker';
export * from './format';
export * from './interventions';
export type { RunLimitKind, RunLimits } from './limits';
export { DEFAULT_LIMITS, RunLimitError } from './limits';
export type {
  ReasonCode,
  RecKind,
  TraceColumns,
  TraceCursor,
  TraceRead,
  TraceRecord,
  TraceState,
} from './trace';
export {
  BROKER_NODE,
  CLIENT_NODE,
  appendRecordFrom,
  copyRecordSlot,
  createTrace,
  Effect,
  FaultField,
  REASON_NAMES,
  REC_NAMES,
  Reason,
  Rec,
  readRecord,
  readTraceSince,
  TraceRow,
  tailRecords,
  traceColumns,
} from './trace';
