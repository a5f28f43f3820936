/** Entry: one QueryClient, the router, the theme on <html>. */
// First: starts loading a flow link's group while the rest boots.
import './api/boot-prefetch.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter } from 'react-router-dom';
import { App } from './app/App.tsx';
import { paletteCss } from './ladder/colors.ts';
import './app/theme.css';

// The colours exports also use, as custom properties, before the first paint.
const palette = document.createElement('style');
palette.textContent = paletteCss();
document.head.append(palette);

const client = new QueryClient({
  defaultOptions: {
    queries: {
      // A 404 is an answer (unknown id), not a flaky network: retry only other failures, once.
      retry: (count, err) => count < 1 && !(err instanceof Error && 'status' in err && (err as { status: number }).status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={client}>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
