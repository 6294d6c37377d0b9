import { createUiHandler } from '../../shared/ui-api/ui-handler.js';
import { uiAssets } from '../../ui/generated/assets.js';

/** The operator UI and its JSON API behind a Lambda function URL (payload format 2.0). */
export const handler = createUiHandler({ assets: uiAssets });
