import { Container, Text, Title } from '@mantine/core';
import { Route, Routes } from 'react-router-dom';
import { AuthGate } from './auth/AuthGate';
import { AppPage } from './components/AppPage';

export function App() {
  return (
    <Routes>
      <Route
        path="/:app/*"
        element={
          <AuthGate>
            <AppPage />
          </AuthGate>
        }
      />
      <Route path="*" element={<NoApp />} />
    </Routes>
  );
}

function NoApp() {
  return (
    <Container size="sm" py="xl">
      <Title order={1}>Torque</Title>
      <Text mt="md">Open an application at /app/&#123;app&#125;/, for example /app/todo/.</Text>
    </Container>
  );
}
