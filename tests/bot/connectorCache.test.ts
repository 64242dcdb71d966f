import type { Activity } from 'botbuilder';
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { AuthenticationConstants, ClaimsIdentity, type ConnectorClient, ConnectorFactory } from 'botframework-connector';
import { describe, expect, it } from 'vitest';
import { CachingBotFrameworkAuthentication } from '../../bot/connectorCache.js';

const activity = (serviceUrl: string): Activity =>
  ({ type: 'message', channelId: 'webchat', serviceUrl, from: { id: 'c' }, recipient: { id: 'bot' }, conversation: { id: 'x' }, text: 'hi' }) as Activity;

/** Local mode, as `npm start` runs without MicrosoftAppId: requests are accepted without a token. */
const localAuth = () => new CachingBotFrameworkAuthentication(new ConfigurationBotFrameworkAuthentication({}));

const identity = (appId: string) =>
  new ClaimsIdentity([
    { type: AuthenticationConstants.AudienceClaim, value: appId },
    { type: AuthenticationConstants.AppIdClaim, value: appId },
  ]);

/** Where the client sends replies (protected in the typings, public at run time). */
const baseUri = (client: ConnectorClient) => (client as unknown as { baseUri: string }).baseUri;

async function connector(auth: CachingBotFrameworkAuthentication, serviceUrl: string): Promise<ConnectorClient> {
  const result = await auth.authenticateRequest(activity(serviceUrl), '');
  return (result.connectorFactory as ConnectorFactory).create(serviceUrl, result.audience);
}

describe('connector client cache', () => {
  it('gives later turns from the same channel the same connector client', async () => {
    const auth = localAuth();
    const first = await connector(auth, 'https://channel-a.test/');
    expect(await connector(auth, 'https://channel-a.test/')).toBe(first);
    expect(baseUri(first)).toBe('https://channel-a.test/');
  });

  it('keeps a client per service URL and per app id, so replies never go to another channel or identity', async () => {
    const auth = localAuth();
    const a = await connector(auth, 'https://channel-a.test/');
    const b = await connector(auth, 'https://channel-b.test/');
    expect(b).not.toBe(a);
    expect(baseUri(b)).toBe('https://channel-b.test/');
    const one = await auth.createConnectorFactory(identity('app-1')).create('https://channel-a.test/', 'aud');
    const two = await auth.createConnectorFactory(identity('app-2')).create('https://channel-a.test/', 'aud');
    expect(two).not.toBe(one);
    expect(await auth.createConnectorFactory(identity('app-1')).create('https://channel-a.test/', 'aud')).toBe(one);
  });

  it('reuses the user token client per app id', async () => {
    const auth = localAuth();
    const first = await auth.createUserTokenClient(identity('app-1'));
    expect(await auth.createUserTokenClient(identity('app-1'))).toBe(first);
    expect(await auth.createUserTokenClient(identity('app-2'))).not.toBe(first);
  });

  it('forgets a failed creation, so the next turn tries again', async () => {
    let calls = 0;
    class FlakyFactory extends ConnectorFactory {
      constructor(private readonly real: ConnectorFactory) {
        super();
      }
      create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
        calls += 1;
        return calls === 1 ? Promise.reject(new Error('credentials unavailable')) : this.real.create(serviceUrl, audience);
      }
    }
    class FlakyAuth extends ConfigurationBotFrameworkAuthentication {
      override createConnectorFactory(claims: ClaimsIdentity): ConnectorFactory {
        return new FlakyFactory(super.createConnectorFactory(claims));
      }
    }
    const auth = new CachingBotFrameworkAuthentication(new FlakyAuth({}));
    await expect(auth.createConnectorFactory(identity('app-1')).create('https://channel-a.test/')).rejects.toThrow(/credentials unavailable/);
    const client = await auth.createConnectorFactory(identity('app-1')).create('https://channel-a.test/');
    expect(baseUri(client)).toBe('https://channel-a.test/');
    expect(calls).toBe(2);
  });
});
