import { z } from 'zod';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from 'pino';
import { TrainingsQuerySchema } from '@splits/contracts';
import type { Db } from '@splits/db';
import { HttpError } from '../errors.js';
import { getTrainings } from '../services/trainings.service.js';
import { getMe } from '../services/me.service.js';

export interface McpDeps {
  db: Db;
  log: Logger;
}

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/**
 * The MCP server for one request of one athlete: the athlete id is bound here, after bearer auth,
 * so no tool can reach another athlete's data. Tool texts are sent into the model's context on
 * every turn: keep them short (all tools together well under 10,000 characters, DESIGN §6).
 */
export function buildMcpServer(deps: McpDeps, athleteId: string): McpServer {
  const server = new McpServer({ name: 'splits', version: '0.1.0' });

  server.registerTool(
    'get_trainings',
    {
      description:
        'Completed workouts, newest first, as prepared records. Filter by local date; full=true adds intervals. If too large, narrow the window or lower limit.',
      inputSchema: {
        oldest: localDate.optional().describe('first local date, YYYY-MM-DD'),
        newest: localDate.optional().describe('last local date, YYYY-MM-DD'),
        limit: z.number().int().min(1).max(50).optional().describe('1-50, default 30'),
        offset: z.number().int().min(0).optional().describe('skip this many (use nextOffset)'),
        full: z.boolean().optional().describe('include intervals'),
      },
      annotations: { title: 'Get trainings', readOnlyHint: true, openWorldHint: false },
    },
    (args) => run(deps.log, () => getTrainings(deps.db, athleteId, TrainingsQuerySchema.parse(args))),
  );

  server.registerTool(
    'whoami',
    {
      description: 'The athlete this connection belongs to and the state of their Intervals.icu connection.',
      annotations: { title: 'Who am I', readOnlyHint: true, openWorldHint: false },
    },
    () => run(deps.log, () => getMe(deps.db, athleteId)),
  );

  return server;
}

/** JSON as text (for every client) and as structuredContent; expected errors become tool errors, internals never leak. */
async function run(log: Logger, fn: () => Promise<object>): Promise<CallToolResult> {
  try {
    const data = await fn();
    return { content: [{ type: 'text', text: JSON.stringify(data) }], structuredContent: data as Record<string, unknown> };
  } catch (err) {
    if (err instanceof HttpError) {
      return { isError: true, content: [{ type: 'text', text: JSON.stringify({ error: { code: err.code, message: err.message } }) }] };
    }
    log.error({ err }, 'mcp tool failed');
    return { isError: true, content: [{ type: 'text', text: JSON.stringify({ error: { code: 'internal', message: 'internal error' } }) }] };
  }
}
