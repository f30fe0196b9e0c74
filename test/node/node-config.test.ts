import { describe, expect, it } from 'vitest';
import { readNodeConfig } from '../../node/config.js';

const base = { coordinator: 'https://127.0.0.1:8443', caFile: 'ca.pem' };

describe('node config: advertised address', () => {
  it('refuses a wildcard --host without --advertise-host, naming the option', () => {
    expect(() => readNodeConfig({ ...base, host: '0.0.0.0' }, {})).toThrow(/advertise/i);
    expect(() => readNodeConfig({ ...base, host: '::' }, {})).toThrow(/advertise/i);
  });

  it('accepts a wildcard --host with an IP to advertise, and refuses names or wildcards as that IP', () => {
    expect(readNodeConfig({ ...base, host: '0.0.0.0', advertiseHost: '10.1.2.3' }, {}).advertiseHost).toBe('10.1.2.3');
    expect(readNodeConfig({ ...base }, { HOMING_HOST: '0.0.0.0', HOMING_ADVERTISE_HOST: '10.1.2.4' }).advertiseHost).toBe('10.1.2.4');
    expect(() => readNodeConfig({ ...base, host: '0.0.0.0', advertiseHost: 'node.example' }, {})).toThrow(/IP address/);
    expect(() => readNodeConfig({ ...base, host: '0.0.0.0', advertiseHost: '0.0.0.0' }, {})).toThrow(/IP address/);
  });

  it('needs no --advertise-host when --host is a concrete address', () => {
    expect(readNodeConfig({ ...base, host: '127.0.0.5' }, {}).advertiseHost).toBeUndefined();
  });
});
