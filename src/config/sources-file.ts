/** The USAGE_SOURCES_FILE format: one entry per source; secrets are named by env var, never written in the file. */
import { z } from 'zod'

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name')

export const sourceEntrySchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'expected letters, digits, . _ - (at most 63)'),
  kind: z.string(),
  credentials: z.object({
    accessKeyIdEnv: envName,
    accessKeySecretEnv: envName,
    securityTokenEnv: envName.optional()
  }).strict(),
  /** The provider's account id behind the credentials (billing identity); shown in answers, usable as a dimension. */
  account: z.string().min(1).max(128).optional(),
  endpoint: z.string().url().optional(),
  qps: z.number().positive().max(1000).optional(),
  concurrency: z.number().int().positive().max(64).optional(),
  /** How long after a bucket ends its numbers may still change; overrides the kind's default. */
  settleDelaySeconds: z.number().int().min(0).max(30 * 86_400).optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  /** The endpoint is a simulated provider (`npm run simulate`): answers say so in `sources[].simulated`. */
  simulated: z.boolean().optional()
}).strict()

export const sourcesFileSchema = z.object({
  sources: z.array(sourceEntrySchema).min(1)
}).strict()

export type SourceEntry = z.infer<typeof sourceEntrySchema>
