import { Navigate, Route, Routes } from 'react-router-dom';
import { SessionGate } from './auth/Session';
import { ModelsPage } from './models/ModelsPage';
import { Workspace } from './workspace/Workspace';

export function App() {
  return (
    <SessionGate>
      <Routes>
        <Route path="/" element={<ModelsPage />} />
        <Route path="/models/:model/*" element={<Workspace />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </SessionGate>
  );
}
