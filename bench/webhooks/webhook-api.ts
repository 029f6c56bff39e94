import type { Endpoints } from '../../hosts/local/runtime/endpoints-file';

/** The subscription API calls the benchmark makes (`/api/webhooks`), with the pipeline's function key. */
export class BenchWebhookApi {
  constructor(private readonly endpoints: Endpoints) {}

  /** Subscribes `url` to every event, disabled until the configuration that uses it; its id. */
  async subscribe(url: string, description: string): Promise<string> {
    const created = await this.call('POST', 'webhooks', { url, events: ['*'], description, enabled: false });
    return String(created['id']);
  }

  async setEnabled(id: string, enabled: boolean): Promise<void> {
    await this.call('PATCH', `webhooks/${encodeURIComponent(id)}`, { enabled });
  }

  private async call(method: string, path: string, body: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.endpoints.apiBaseUrl}/${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-functions-key': this.endpoints.functionKey },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} /api/${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  }
}
