/** The bench's and tests' RPM generator is the pipeline's RPM writer (the synthetic builder uses it too). */
export { generateRpm } from '../../shared/rpm/rpm-writer';
export type { GeneratedPackage } from '../../shared/rpm/rpm-writer';
