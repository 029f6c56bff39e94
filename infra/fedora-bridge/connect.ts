import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { connect, credentials } from 'amqplib';
import type { ChannelModel, Options, SocketOptions } from 'amqplib';
import { PipelineError } from '../../shared/errors';
import type { BridgeConfig } from './config';

/**
 * Opens one AMQP connection as the configuration says. TLS files are read on every connect, so a rotated
 * client certificate (Fedora's public one expires in 2029) is picked up by the next reconnect without a
 * restart. TLS is at least 1.2 and the server name is checked against the certificate (Node's default), as
 * fedora-messaging does; SNI carries the host name.
 */
export async function openConnection(config: BridgeConfig): Promise<ChannelModel> {
  const url = new URL(config.url);
  const tls = url.protocol === 'amqps:';
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const username = decodeURIComponent(url.username) || 'guest';
  const password = decodeURIComponent(url.password) || (url.username ? '' : 'guest');
  const target: Options.Connect = {
    protocol: tls ? 'amqps' : 'amqp',
    hostname,
    port: Number(url.port) || (tls ? 5671 : 5672),
    vhost: config.vhost,
    heartbeat: config.heartbeatSeconds,
  };
  const socket: SocketOptions = {
    timeout: config.connectTimeoutMs,
    noDelay: true,
    clientProperties: { connection_name: 'azl-rebuilder fedora-bridge' },
    credentials: config.sasl === 'external' ? credentials.external() : credentials.plain(username, password),
  };
  if (tls) {
    socket.minVersion = 'TLSv1.2';
    if (!isIP(hostname)) socket.servername = hostname;
    if (config.tls?.caFile) socket.ca = readTlsFile('caFile', config.tls.caFile);
    if (config.tls?.certFile) socket.cert = readTlsFile('certFile', config.tls.certFile);
    if (config.tls?.keyFile) socket.key = readTlsFile('keyFile', config.tls.keyFile);
  }
  return connect(target, socket);
}

/** The URL without its password, for logs. */
export function redactedUrl(config: Pick<BridgeConfig, 'url' | 'vhost'>): string {
  const url = new URL(config.url);
  if (url.password) url.password = '***';
  return `${url.protocol}//${url.username ? `${url.username}@` : ''}${url.host} vhost ${config.vhost}`;
}

function readTlsFile(field: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw PipelineError.permanent(
      'fedora-bridge.tls-file',
      `TLS ${field} ${path} cannot be read (${code})`,
      { field, path },
      error,
    );
  }
}
