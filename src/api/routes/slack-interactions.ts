import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { transitionAlert } from '../../alert/lifecycle.ts';
import { ACK_ACTION_ID } from '../../alert/slack-message.ts';
import { verifySlackRequest } from '../../alert/slack-signature.ts';
import { isTrustwatchError } from '../../core/errors.ts';
import type { AppEnv } from '../context.ts';
import { problem } from '../problem.ts';
import { type AlertApiDeps, alertOptions, transitionOptions } from './alerts.ts';

interface BlockActionsPayload {
  type?: string;
  user?: { id?: string; username?: string; name?: string };
  actions?: { action_id?: string; value?: string }[];
}

const MAX_BODY = 64 * 1024;

/**
 * Slack's interactivity endpoint (set it as the Request URL of your Slack app). Authenticated by the
 * X-Slack-Signature, not an API token: the raw body is verified before anything is parsed. The
 * Acknowledge button acknowledges the alert as `slack:<user>`; other actions (the link button) are
 * answered 200 so Slack shows no error.
 */
export function slackInteractionRoutes(deps: AlertApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY,
      onError: (c) => problem(c, 413, 'PAYLOAD_TOO_LARGE', `Request body exceeds ${MAX_BODY} bytes`),
    }),
  );
  app.post('/interactions', async (c) => {
    const secret = alertOptions(deps).slackSigningSecret;
    if (!secret) {
      return problem(
        c,
        503,
        'NOT_CONFIGURED',
        'Slack interactivity is off: set TRUSTWATCH_SLACK_SIGNING_SECRET',
      );
    }
    // bodyLimit above has already refused anything larger than MAX_BODY.
    const raw = await c.req.text();
    const verified = verifySlackRequest(
      secret,
      { timestamp: c.req.header('x-slack-request-timestamp'), signature: c.req.header('x-slack-signature') },
      raw,
      deps.now?.() ?? new Date(),
    );
    if (!verified.ok) {
      deps.log.warn({ reason: verified.reason }, 'slack interaction refused');
      return problem(c, 401, 'UNAUTHORIZED', `Slack signature check failed (${verified.reason})`);
    }
    let payload: BlockActionsPayload;
    try {
      payload = JSON.parse(new URLSearchParams(raw).get('payload') ?? '') as BlockActionsPayload;
    } catch {
      return problem(c, 400, 'VALIDATION', 'Expected a form field "payload" holding JSON');
    }
    const ack =
      payload.type === 'block_actions'
        ? payload.actions?.find((a) => a.action_id === ACK_ACTION_ID)
        : undefined;
    if (!ack?.value) return c.json({ ok: true });
    const who = payload.user?.username ?? payload.user?.name ?? payload.user?.id ?? 'unknown';
    try {
      const { alert, changed } = await transitionAlert(
        deps.db,
        null,
        ack.value,
        'acknowledged',
        `slack:${who}`,
        transitionOptions(deps),
      );
      return c.json({
        ok: true,
        text: changed ? `Acknowledged "${alert.title}"` : `"${alert.title}" was already ${alert.state}`,
      });
    } catch (err) {
      // NOT_FOUND / CONFLICT (resolved): tell the clicker, with 200 so Slack does not show a failure.
      if (isTrustwatchError(err) && (err.code === 'NOT_FOUND' || err.code === 'CONFLICT')) {
        return c.json({ ok: false, text: err.message });
      }
      throw err;
    }
  });
  return app;
}
