export { ArchitectureCanvas } from './ArchitectureCanvas';
