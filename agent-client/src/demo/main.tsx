import './zodWithoutEval.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../react/plugin.css';
import './demo.css';
import { DemoApp } from './DemoApp.js';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DemoApp />
  </StrictMode>,
);
