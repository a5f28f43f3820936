/**
 * Imported for its effect, first thing in main.tsx: module code runs in import order, so this
 * sends a flow link's group request before React and the router are even evaluated (early.ts).
 */
import { prefetchFlow } from './client.ts';

prefetchFlow(location.pathname);
