// The GraphQL operations of the editor (schema: internal/graphql/schema.graphqls).

import { gql } from '@apollo/client';

export const MODELS = gql`
  query Models($search: String, $first: Int, $after: String) {
    models(search: $search, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          description
          version
          updatedAt
          entities {
            name
          }
        }
      }
    }
  }
`;

export const MODEL_DOCUMENT = gql`
  query ModelDocument($name: String!) {
    model(name: $name) {
      id
      name
      version
      document
    }
  }
`;

export const CREATE_MODEL = gql`
  mutation CreateModel($input: JSON!) {
    createModel(input: $input) {
      id
      name
      version
    }
  }
`;

export const IMPORT_MODEL = gql`
  mutation ImportModel($document: JSON!) {
    importModel(document: $document) {
      id
      name
      version
    }
  }
`;

export const EXPORT_MODEL = gql`
  mutation ExportModel($name: String!) {
    exportModel(name: $name)
  }
`;

export const DUPLICATE_MODEL = gql`
  mutation DuplicateModel($name: String!, $newName: String!) {
    duplicateModel(name: $name, newName: $newName) {
      id
      name
      version
    }
  }
`;

export const DELETE_MODEL = gql`
  mutation DeleteModel($name: String!) {
    deleteModel(name: $name)
  }
`;

export const EDIT_MODEL = gql`
  mutation EditModel($name: String!, $baseVersion: Int!, $edits: [ModelEditInput!]!) {
    editModel(name: $name, baseVersion: $baseVersion, edits: $edits) {
      id
      name
      version
      document
    }
  }
`;

export const MODEL_CHANGED = gql`
  subscription ModelChanged($name: String!, $after: Int) {
    modelChanged(name: $name, after: $after) {
      seq
      kind
      version
      actor {
        id
        email
      }
      at
      changes {
        op
        path
        before
        after
      }
      truncated
      model {
        id
        version
        document
      }
    }
  }
`;

export const MODEL_TEMPLATES = gql`
  query ModelTemplates {
    modelTemplates {
      name
      title
      description
    }
  }
`;

export const CREATE_FROM_TEMPLATE = gql`
  mutation CreateModelFromTemplate($template: String!, $name: String!) {
    createModelFromTemplate(template: $template, name: $name) {
      id
      name
      version
    }
  }
`;

export const MODEL_PRESENCE = gql`
  subscription ModelPresence($name: String!) {
    modelPresence(name: $name) {
      you
      members {
        id
        user {
          id
          email
        }
        editing
        since
      }
    }
  }
`;

/** SetPresence goes over the WebSocket of the presence it updates (client.ts). */
export const SET_PRESENCE = gql`
  mutation SetPresence($name: String!, $id: ID!, $editing: String) {
    setPresence(name: $name, id: $id, editing: $editing)
  }
`;

export const MODEL_VERSIONS = gql`
  query ModelVersions($name: String!) {
    model(name: $name) {
      id
      version
      versions {
        version
        createdAt
      }
    }
  }
`;

export const MODEL_DIFF = gql`
  query ModelDiff($name: String!, $from: Int!, $to: Int!) {
    model(name: $name) {
      id
      diff(from: $from, to: $to) {
        op
        path
        before
        after
      }
    }
  }
`;

export const RESTORE_MODEL_VERSION = gql`
  mutation RestoreModelVersion($name: String!, $version: Int!, $baseVersion: Int!) {
    restoreModelVersion(name: $name, version: $version, baseVersion: $baseVersion) {
      id
      version
      document
    }
  }
`;

/** The apps made from a model, for the Apps section. */
export const MODEL_APP_LIST = gql`
  query ModelAppList($name: String!) {
    model(name: $name) {
      id
      apps {
        name
        model
        createdAt
      }
    }
  }
`;

export const CREATE_APP = gql`
  mutation CreateApp($name: String!, $model: String!) {
    createApp(name: $name, model: $model) {
      name
      model
      createdAt
    }
  }
`;

export const DELETE_APP = gql`
  mutation DeleteApp($name: String!) {
    deleteApp(name: $name)
  }
`;

/** The apps made from a model: the page designer's preview shows one's data. */
export const MODEL_APPS = gql`
  query ModelApps($name: String!) {
    model(name: $name) {
      id
      apps {
        name
      }
    }
  }
`;
