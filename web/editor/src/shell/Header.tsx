// The editor's top bar: the product, where one is, and the user's menu.

import { Anchor, Avatar, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useSigned } from '../auth/Session';

export function Logo() {
  return (
    <Anchor component={Link} to="/" underline="never" c="inherit" aria-label="Torque Model Editor, all models">
      <Group gap={8} wrap="nowrap">
        <svg width="22" height="22" viewBox="0 0 32 32" aria-hidden="true">
          <rect width="32" height="32" rx="7" fill="var(--mantine-color-indigo-6)" />
          <path d="M9 10h14v3h-5.5v10h-3V13H9z" fill="#fff" />
        </svg>
        <Text fw={700} size="sm">
          Torque
        </Text>
        <Text size="sm" c="dimmed" visibleFrom="xs">
          Model Editor
        </Text>
      </Group>
    </Anchor>
  );
}

export function UserMenu() {
  const { user, signOut } = useSigned();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={`Account: ${user.email}`}>
          <Avatar size="sm" color="indigo" radius="xl">
            {user.email.slice(0, 2).toUpperCase()}
          </Avatar>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{user.email}</Menu.Label>
        <Menu.Item onClick={() => void signOut()}>Sign out</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

export function HeaderBar({ children }: { children?: ReactNode }) {
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="sm">
      <Group gap="md" wrap="nowrap" style={{ minWidth: 0 }}>
        <Logo />
        {children}
      </Group>
      <UserMenu />
    </Group>
  );
}
