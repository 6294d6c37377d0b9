import { describe, expect, it } from 'vitest';
import { renderServerProperties } from '../../../../../infra/local/broker/server-config.js';

const properties = (text: string): Map<string, string> =>
  new Map(
    text
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
  );

describe('renderServerProperties', () => {
  const tls = { keystorePath: '/tmp/broker.p12', keystorePassword: 'pw', caPem: 'PEM' };

  it('turns on StandardAuthorizer with deny by default and orders-admin as a super user', () => {
    // Act
    const config = properties(
      renderServerProperties({ port: 9092, controllerPort: 9093, saslSslPort: 9094, tls, dataDir: '/d' }),
    );

    // Assess
    expect(config.get('authorizer.class.name')).toBe(
      'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    );
    expect(config.get('allow.everyone.if.no.acl.found')).toBe('false');
    expect(config.get('super.users')?.split(';')).toEqual(['User:orders-admin', 'User:ANONYMOUS']);
  });

  it('binds every listener to the loopback interface, so the local-only ANONYMOUS super user stays local', () => {
    // Act
    const config = properties(
      renderServerProperties({ port: 9092, controllerPort: 9093, saslSslPort: 9094, tls, dataDir: '/d' }),
    );

    // Assess
    expect(config.get('listeners')?.split(',')).toEqual([
      'PLAINTEXT://127.0.0.1:9092',
      'CONTROLLER://127.0.0.1:9093',
      'SASL_SSL://127.0.0.1:9094',
    ]);
  });

  it('keeps the authorizer on when the SASL_SSL listener is off', () => {
    // Act
    const config = properties(renderServerProperties({ port: 9092, controllerPort: 9093, dataDir: '/d' }));

    // Assess
    expect(config.get('listeners')).toBe('PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093');
    expect(config.get('authorizer.class.name')).toBe(
      'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    );
  });
});
