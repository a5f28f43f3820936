export { parseSip, firstLine, sipLabel } from './parse.ts';
export { canonicalName, headerValues, isListHeader, isToken, readHeaders, splitComma, splitHeaderValues } from './headers.ts';
export type { HeaderBlock } from './headers.ts';
export { headerParams, parseDialogRef, parseNameAddr, parseParams, parseUri, percentDecode } from './uri.ts';
export { parseSdp } from './sdp.ts';
export { findSdp, mediaType, multipartParts } from './body.ts';
export type { BodyPart } from './body.ts';
export type * from './types.ts';
