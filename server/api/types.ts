/**
 * The TypeScript types of /api/v1, derived from the response schemas (schemas.ts), which hold the
 * contract and its field notes: a contract shared by the server, the web app and other tools.
 */
import type {
  Infer, callPageSchema, configSchema, errorSchema, groupSchema, groupSummarySchema, importAnswerSchema,
  messageDetailSchema, messageSchema, leanGroupSchema, leanMessageSchema, callStatsSchema,
} from './schemas.ts';

export type ApiGroupSummary = Infer<typeof groupSummarySchema>;
export type ApiCallPage = Infer<typeof callPageSchema>;
export type ApiGroup = Infer<typeof groupSchema>;
export type ApiLeg = ApiGroup['legs'][number];
export type ApiLink = ApiLeg['links'][number];
export type ApiEndpoint = ApiGroup['endpoints'][number];
export type ApiMessage = Infer<typeof messageSchema>;
export type ApiMessageDetail = Infer<typeof messageDetailSchema>;
export type ApiImport = Infer<typeof importAnswerSchema>;
export type ApiConfig = Infer<typeof configSchema>;
export type ApiError = Infer<typeof errorSchema>;
export type ApiCallStats = Infer<typeof callStatsSchema>;
/** `?fields=lean`: the message fields the app draws with (schemas.ts leanMessageSchema). */
export type ApiLeanGroup = Infer<typeof leanGroupSchema>;
export type ApiLeanMessage = Infer<typeof leanMessageSchema>;
