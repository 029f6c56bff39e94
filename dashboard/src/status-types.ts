/**
 * The JSON the page reads, as the status API and `/api/health` answer it (the server's own types are
 * `shared/status/ports.ts` and `functions/health.ts`; this browser build cannot import them, so only the
 * fields the page shows are repeated here).
 */
export interface Page<T> {
  readonly items: readonly T[];
  readonly continuationToken?: string;
}

export interface DependencyHealth {
  readonly name: string;
  readonly state: 'healthy' | 'unhealthy';
  readonly detail: string;
  readonly latencyMs: number;
}

export interface Health {
  readonly status: 'healthy' | 'unhealthy';
  readonly checkedAt: string;
  readonly dependencies: readonly DependencyHealth[];
}

export type EventOutcome = 'accepted' | 'duplicate' | 'rejected';

export interface EventStatus {
  readonly outcome: EventOutcome;
  readonly messageId: string | null;
  readonly topic?: string;
  readonly kind?: string;
  readonly packages?: readonly string[];
  readonly sentAt?: string;
  readonly reason?: string;
  readonly path?: string;
  readonly source?: string;
  readonly receivedAt?: string;
}

export interface PlanSummary {
  readonly planId: string;
  readonly createdAt: string;
  readonly messageCount: number;
  readonly plannedCount: number;
  readonly skippedCount: number;
  readonly cycleCount: number;
  readonly waveCount: number;
}

export interface Hop {
  readonly from: string;
  readonly buildRequire: string;
}

export interface Reason {
  readonly messageId: string;
  readonly kind: string;
  readonly package: string;
  readonly nvr?: string;
  readonly changedProvides?: readonly string[];
  readonly path?: readonly Hop[];
  readonly component: string;
}

export interface PlanItem {
  readonly component: string;
  readonly wave: number;
  readonly priority: number;
  readonly fingerprint: string;
  readonly reasons: readonly Reason[];
  readonly reasonCount: number;
}

export interface PlanStatus extends PlanSummary {
  readonly items: Page<PlanItem>;
}

export interface BuildSummary {
  readonly buildId: string;
  readonly component: string;
  readonly planId: string;
  readonly wave: number;
  readonly state: string;
  readonly requestedAt: string;
  readonly updatedAt: string;
  readonly attempts: number;
}

export interface BuildRecord extends BuildSummary {
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly durationMs?: number;
  readonly nevras?: readonly string[];
  readonly error?: { readonly code: string; readonly message: string; readonly retryable: boolean };
  readonly logExcerpt?: string;
}

export interface RepositoryStatus {
  readonly repository: string;
  readonly revision: number;
  readonly packageCount: number;
  readonly lastPublishedAt: string;
  readonly baseUrl?: string;
  readonly dnf?: string;
}

export interface MessageFailure {
  readonly entity: string;
  readonly messageId: string;
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
  readonly deliveryCount: number;
  readonly at: string;
}

/** An error answer of the API: `{code, message}`. */
export interface Problem {
  readonly code?: string;
  readonly message?: string;
}
