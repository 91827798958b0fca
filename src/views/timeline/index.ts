export { StepBackButton } from './StepBackButton';
export { Timeline } from './Timeline';
