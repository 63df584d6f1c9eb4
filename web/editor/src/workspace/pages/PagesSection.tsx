// Pages: the model's pages (add, reorder, delete), and the designer of the
// page in the URL (/models/{model}/pages/{page}).

import { Grid, Paper, Stack, Text } from '@mantine/core';
import { Navigate, Route, Routes } from 'react-router-dom';
import { useModel } from '../context';
import { PageDesigner } from './PageDesigner';
import { PageList } from './PageList';

export function PagesSection() {
  const { doc } = useModel();
  const first = doc.pages[0]?.name;
  return (
    <Grid gutter="lg">
      <Grid.Col span={{ base: 12, md: 3, xl: 2 }}>
        <PageList />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 9, xl: 10 }}>
        <Routes>
          <Route path=":page/*" element={<PageDesigner />} />
          <Route index element={first ? <Navigate to={encodeURIComponent(first)} replace /> : <NoPages />} />
        </Routes>
      </Grid.Col>
    </Grid>
  );
}

function NoPages() {
  return (
    <Paper withBorder p="xl" radius="md">
      <Stack align="center" gap={4}>
        <Text fw={600}>No pages yet</Text>
        <Text size="sm" c="dimmed" ta="center">
          A page lays out grids, forms and buttons for the app. Without pages of its own, an app gets a generated list and
          detail page for each entity type. Add a page to design one.
        </Text>
      </Stack>
    </Paper>
  );
}
