// The persistence module's public surface (see README.md): the state layer imports from here only.
export { openLanternDexie, DATABASE_NAME, type LanternDexie, type WorkspaceRecord, type SavedState } from './schema';
export { WorkspaceStore, type CommitInput, type TableData } from './store';
export { PersistenceError, isQuotaError, QUOTA_MESSAGE, type PersistenceErrorCode } from './errors';
export { buildArchive, readArchive, ARCHIVE_EXTENSION, ARCHIVE_VERSION, type ArchiveContent } from './archive';
export { SectionRegistry, type StateSection, type RestoreContext, type SavedSections } from './sections';
export { AutosaveTimer } from './autosave';
