// TEMPORAL_UI_AUTH's config rules: each mode's required keys, a key of another mode refused (it
// would protect nothing), URLs checked, the secrets masked like every secret key.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/project/parse.js';

const errors = (env: Record<string, string>): string[] => {
  const r = parseConfig({ env });
  return r.ok ? [] : r.errors;
};

describe('TEMPORAL_UI_AUTH config rules', () => {
  const cases: [string, Record<string, string>, string[]][] = [
    ['none needs nothing', {}, []],
    [
      'basic without a password',
      { TEMPORAL_UI_AUTH: 'basic' },
      ['TEMPORAL_UI_PASSWORD: must be set with TEMPORAL_UI_AUTH=basic (set in the environment)'],
    ],
    ['basic with a password', { TEMPORAL_UI_AUTH: 'basic', TEMPORAL_UI_PASSWORD: 'pw' }, []],
    [
      'a user name with a colon',
      { TEMPORAL_UI_AUTH: 'basic', TEMPORAL_UI_PASSWORD: 'pw', TEMPORAL_UI_USER: 'a:b' },
      [`TEMPORAL_UI_USER: "a:b" is not a user name without ':' or spaces (max 64) (set in the environment)`],
    ],
    [
      'oidc without its provider, client id and secret',
      { TEMPORAL_UI_AUTH: 'oidc' },
      [
        'TEMPORAL_AUTH_PROVIDER_URL: must be set with TEMPORAL_UI_AUTH=oidc (set in the environment)',
        'TEMPORAL_AUTH_CLIENT_ID: must be set with TEMPORAL_UI_AUTH=oidc (set in the environment)',
        'TEMPORAL_AUTH_CLIENT_SECRET: must be set with TEMPORAL_UI_AUTH=oidc (set in the environment)',
      ],
    ],
    [
      'an oidc provider URL that is not http(s)',
      { TEMPORAL_AUTH_PROVIDER_URL: 'id.example.com' },
      ['TEMPORAL_AUTH_PROVIDER_URL: "id.example.com" is not an http(s) URL (set in the environment)'],
    ],
    [
      'a password without basic: it would protect nothing',
      { TEMPORAL_UI_PASSWORD: 'pw' },
      [
        'TEMPORAL_UI_PASSWORD: is set, but TEMPORAL_UI_AUTH is none, so it protects nothing; set TEMPORAL_UI_AUTH=basic or remove TEMPORAL_UI_PASSWORD (set in the environment)',
      ],
    ],
    [
      'an unknown mode',
      { TEMPORAL_UI_AUTH: 'ldap' },
      ['TEMPORAL_UI_AUTH: "ldap" is not one of none, basic, oidc (set in the environment)'],
    ],
  ];
  for (const [name, env, expected] of cases) it(name, () => assert.deepEqual(errors(env), expected));

  it('no message carries the secret values', () => {
    const all = [
      ...errors({ TEMPORAL_UI_PASSWORD: 'pw-XYZ' }),
      ...errors({ TEMPORAL_UI_AUTH: 'basic', TEMPORAL_AUTH_CLIENT_SECRET: 'sec-XYZ' }),
    ].join('\n');
    assert.doesNotMatch(all, /XYZ/);
  });

  it('the UI port is published by the proxy with basic, so it still clashes with another key', () => {
    assert.deepEqual(errors({ TEMPORAL_UI_AUTH: 'basic', TEMPORAL_UI_PASSWORD: 'pw', TEMPORAL_UI_PORT: '7233' }), [
      'TEMPORAL_UI_PORT: port 7233 is already used by TEMPORAL_GRPC_PORT; give each service its own port (set in the environment)',
    ]);
  });
});
