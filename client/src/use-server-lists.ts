/** What the server holds that forms offer: uploaded media and the known models (present or not). */
import { useCallback, useEffect, useState } from 'react';
import { api } from './api.ts';
import type { ModelListing, UploadListing } from './types.ts';

export function useServerLists() {
  const [uploads, setUploads] = useState<UploadListing[]>([]);
  const [models, setModels] = useState<ModelListing[]>([]);
  const refreshUploads = useCallback(() => void api.uploads().then((r) => setUploads(r.uploads), () => undefined), []);
  const refreshModels = useCallback(() => void api.models().then((r) => setModels(r.models), () => setModels([])), []);
  useEffect(() => {
    refreshUploads();
    refreshModels();
  }, [refreshUploads, refreshModels]);
  return { uploads, models, refreshUploads, refreshModels };
}

export type ServerLists = ReturnType<typeof useServerLists>;
