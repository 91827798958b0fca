export { InspectorPanel } from './InspectorPanel';
