import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import 'maplibre-gl/dist/maplibre-gl.css';
import './styles.css';
import { api, get, setToken, getToken, type Me } from './api.ts';
import { LangCtx, useT, type Lang } from './i18n.tsx';
import { MapPage } from './MapPage.tsx';
import { AlertsPage } from './AlertsPage.tsx';
import { TripPage } from './TripPage.tsx';
import { GatePage } from './GatePage.tsx';
import { DeclarePage } from './DeclarePage.tsx';
import { StatsPage } from './StatsPage.tsx';
import { ExportSection } from './export/ExportSection.tsx';
import { VerifyPage } from './export/VerifyPage.tsx';

/** Navigation that fits the role: customs see the monitoring pages, an enterprise its own business. */
const NAV: Record<string, string[]> = {
  officer: ['map', 'alerts', 'gate', 'stats', 'exports'],
  supervisor: ['map', 'alerts', 'gate', 'stats', 'exports'],
  enterprise: ['map', 'declare', 'alerts', 'exports'],
};

function useHash() {
  const [h, setH] = useState(location.hash || '#/');
  useEffect(() => { const f = () => setH(location.hash || '#/'); addEventListener('hashchange', f); return () => removeEventListener('hashchange', f); }, []);
  return h.slice(2).split('/');
}

function Login({ onIn }: { onIn: (me: Me) => void }) {
  const t = useT();
  const [u, setU] = useState(''), [p, setP] = useState(''), [err, setErr] = useState('');
  return (
    <form className="login" onSubmit={async (e) => {
      e.preventDefault(); setErr('');
      try { const r = await api('POST', '/api/v1/auth/login', { username: u, password: p }); setToken(r.token); onIn(await get('/api/v1/auth/me')); }
      catch (x: any) { setErr(`${t('loginFailed')}: ${x.message}`); }
    }}>
      <h1>{t('appTitle')}</h1>
      <label>{t('username')}<input name="username" value={u} onChange={(e) => setU(e.target.value)} autoFocus /></label>
      <label>{t('password')}<input name="password" type="password" value={p} onChange={(e) => setP(e.target.value)} /></label>
      <button type="submit">{t('login')}</button>
      {err && <p className="error" role="alert">{err}</p>}
      <a href="#/verify" data-testid="public-verify">{t('verify')}</a>
    </form>
  );
}

function App() {
  const [lang, setLangState] = useState<Lang>((localStorage.getItem('onelock.lang') as Lang) || 'zh');
  const setLang = (l: Lang) => { localStorage.setItem('onelock.lang', l); document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en'; setLangState(l); };
  const [me, setMe] = useState<Me | null>(null);
  const [checked, setChecked] = useState(false);
  const route = useHash();
  useEffect(() => { if (getToken()) get('/api/v1/auth/me').then(setMe, () => setToken(null)).finally(() => setChecked(true)); else setChecked(true); }, []);
  const nav = me ? NAV[me.role] ?? [] : [];
  const page = route[0] || nav[0];
  return (
    <LangCtx.Provider value={{ lang, setLang }}>
      <Shell me={me} nav={nav} page={page} onOut={() => { setToken(null); setMe(null); }}>
        {page === 'verify' ? <VerifyPage number={route[1] ? decodeURIComponent(route[1]) : undefined} />
          : !checked ? null : !me ? <Login onIn={(m) => { setMe(m); location.hash = `#/${NAV[m.role]?.[0] ?? ''}`; }} />
          : page === 'map' ? <MapPage me={me} />
          : page === 'alerts' ? <AlertsPage me={me} />
          : page === 'trip' ? <TripPage id={route[1]} me={me} />
          : page === 'gate' ? <GatePage />
          : page === 'declare' ? <DeclarePage />
          : page === 'stats' ? <StatsPage />
          : page === 'exports' ? <ExportSection me={me} sub={route[1]} id={route[2]} />
          : <MapPage me={me} />}
      </Shell>
    </LangCtx.Provider>
  );
}

function Shell({ me, nav, page, onOut, children }: { me: Me | null; nav: string[]; page: string; onOut: () => void; children: React.ReactNode }) {
  const t = useT();
  return (
    <LangCtx.Consumer>{({ lang, setLang }) => (
      <div className="shell">
        <header>
          <strong className="brand">{t('appTitle')}</strong>
          <nav>{nav.map((n) => <a key={n} href={`#/${n}`} className={page === n ? 'on' : ''} data-nav={n}>{t(me?.role === 'enterprise' && n === 'alerts' ? 'myAlerts' : me?.role === 'enterprise' && n === 'map' ? 'myTrips' : n)}</a>)}</nav>
          <span className="spacer" />
          <button className="lang" data-testid="lang" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>{t('language')}</button>
          {me && <span className="who">{me.name}</span>}
          {me && <button onClick={onOut}>{t('logout')}</button>}
        </header>
        <main>{children}</main>
      </div>
    )}</LangCtx.Consumer>
  );
}

createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>);
