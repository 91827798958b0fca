export { BrokerInspector } from './BrokerInspector';
export { BrokerPanel } from './BrokerPanel';
export { BrokerSwitch } from './BrokerSwitch';
export { IdempotentSwitch } from './controls';
export { PartitionBars } from './PartitionBars';
