import type {
  HttpHandler,
  ServiceBusQueueHandler,
  ServiceBusTopicHandler,
  TimerHandler,
} from '@azure/functions';

/**
 * The function table: every Azure Function of the app, declared once as data. `functions/index.ts` registers
 * each entry with `@azure/functions` for the real host; the local host (`hosts/local/functions-host`) reads the same
 * entries and drives the same handlers. Nothing else may declare a trigger.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
export type AuthLevel = 'anonymous' | 'function' | 'admin';

export interface HttpFunction {
  readonly kind: 'http';
  readonly name: string;
  /** Route template below `/api/`, e.g. `builds/{id}`. */
  readonly route: string;
  readonly methods: readonly HttpMethod[];
  readonly authLevel: AuthLevel;
  readonly handler: HttpHandler;
}

export interface TimerFunction {
  readonly kind: 'timer';
  readonly name: string;
  /** Six-field NCRONTAB: `{second} {minute} {hour} {day} {month} {day-of-week}`. */
  readonly schedule: string;
  readonly runOnStartup: boolean;
  readonly handler: TimerHandler;
}

export interface ServiceBusQueueFunction {
  readonly kind: 'serviceBusQueue';
  readonly name: string;
  /** App-setting prefix of the connection (`ServiceBusConnection`). */
  readonly connection: string;
  readonly queueName: string;
  readonly isSessionsEnabled: boolean;
  readonly handler: ServiceBusQueueHandler;
}

export interface ServiceBusTopicFunction {
  readonly kind: 'serviceBusTopic';
  readonly name: string;
  readonly connection: string;
  readonly topicName: string;
  readonly subscriptionName: string;
  readonly isSessionsEnabled: boolean;
  readonly handler: ServiceBusTopicHandler;
}

export type ServiceBusFunction = ServiceBusQueueFunction | ServiceBusTopicFunction;
export type FunctionEntry = HttpFunction | TimerFunction | ServiceBusFunction;
export type FunctionTable = readonly FunctionEntry[];
