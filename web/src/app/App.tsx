/** Routes and the page frame: "/" search, "/flow/:id" the ladder of one group, "/stats" call statistics. */
import { useEffect } from 'react';
import { Link, Route, Routes } from 'react-router-dom';
import { SearchPage } from '../search/SearchPage.tsx';
import { FlowPage } from '../flow/FlowPage.tsx';
import { StatsPage } from '../stats/StatsPage.tsx';
import { ThemeToggle } from './ThemeToggle.tsx';
import { usePrefs } from '../state/store.prefs.ts';
import { UploadDrop } from '../upload/UploadDrop.tsx';
import './App.css';

export function App() {
  const theme = usePrefs((s) => s.theme);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return (
    <div className="App">
      <header className="App--bar">
        <Link to="/" className="App--brand">
          hepflow
        </Link>
        <Link to="/stats" className="App--nav" data-testid="nav-stats">
          Stats
        </Link>
        <span className="App--spacer" />
        <UploadDrop />
        <ThemeToggle />
      </header>
      <main className="App--main">
        <Routes>
          <Route path="/" element={<SearchPage />} />
          <Route path="/flow/:id" element={<FlowPage />} />
          <Route path="/stats" element={<StatsPage />} />
          <Route path="*" element={<p className="App--notfound">No such page. <Link to="/">Search calls</Link></p>} />
        </Routes>
      </main>
    </div>
  );
}
