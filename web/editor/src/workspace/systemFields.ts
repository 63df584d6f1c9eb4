// The names every record has (the server's IsSystemField): no field or
// relationship end may take them. model/names.ts keeps a copy of its own
// in fieldNameError, which could use this one.

export const systemFields: readonly string[] = ['id', 'type', 'version', 'createdAt', 'updatedAt', 'createdBy'];
