export { BranchCompare } from './BranchCompare';
export { ForkDialog } from './ForkDialog';
export { StepBackButton } from './StepBackButton';
export { Timeline } from './Timeline';
