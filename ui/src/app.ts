import { newOrderId, produce, redrive } from './actions.js';
import { api, setCsrfToken, Unauthorized } from './api-client.js';
import { refreshLag, refreshRates } from './charts-panel.js';
import { byId, type Role } from './dom.js';
import { submitEdit } from './edit.js';
import { applySearch, moreGroupRecords, refreshGroups } from './groups.js';
import { refreshHistory } from './history.js';
import { cancelRedrive, redriveGroup } from './redrive-job.js';
import { poll, refreshStats, setTopicNames } from './tables.js';

const pollMs = 700;
const statsMs = 2_000;
// Groups and history scan the DLQ and the ledger on the server: refreshed less often than the tail.
const groupsMs = 5_000;
const ratesMs = 30_000;
const lagMs = 5_000;

let polling = false;

const show = (signedIn: boolean): void => {
  byId('login').hidden = signedIn;
  byId('app').hidden = !signedIn;
  byId('logout').hidden = !signedIn;
};

const loop = (task: () => Promise<void>, everyMs: number): void => {
  const run = async () => {
    if (!polling) return;
    try {
      if (!document.hidden) await task();
    } catch (error) {
      if (error instanceof Unauthorized) {
        polling = false;
        show(false);
        return;
      }
      byId('live').textContent = `update failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    setTimeout(() => void run(), everyMs);
  };
  void run();
};

interface SessionInfo {
  csrfToken: string;
  operator: string;
  topics: Record<Role, string>;
}

const start = (session: SessionInfo): void => {
  setCsrfToken(session.csrfToken);
  setTopicNames(session.topics);
  byId('operator').textContent = `signed in as ${session.operator}`;
  show(true);
  if (polling) return;
  polling = true;
  loop(poll, pollMs);
  loop(refreshStats, statsMs);
  loop(refreshGroups, groupsMs);
  loop(refreshHistory, groupsMs);
  loop(refreshRates, ratesMs);
  loop(refreshLag, lagMs);
};

const init = async (): Promise<void> => {
  const produceForm = byId<HTMLFormElement>('produce-form');
  newOrderId(produceForm);
  produceForm.addEventListener('change', () => {
    const raw = new FormData(produceForm).get('mode') === 'raw';
    byId('form-fields').hidden = raw;
    byId('raw-fields').hidden = !raw;
    byId('form-fields')
      .querySelectorAll('input')
      .forEach((input) => {
        input.disabled = raw;
      });
  });
  produceForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void produce(produceForm);
  });
  const redriveForm = byId<HTMLFormElement>('redrive-form');
  redriveForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
    void redrive(redriveForm, submitter?.value === 'all' ? 'all' : 'selected');
  });
  byId<HTMLFormElement>('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = byId<HTMLInputElement>('token');
    api<SessionInfo>('/api/login', {
      method: 'POST',
      body: { token: token.value },
    })
      .then((session) => {
        token.value = '';
        byId('login-error').textContent = '';
        start(session);
      })
      .catch((error: unknown) => {
        byId('login-error').textContent = error instanceof Error ? error.message : String(error);
      });
  });
  const groupForm = byId<HTMLFormElement>('group-redrive-form');
  groupForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void redriveGroup(groupForm);
  });
  byId('redrive-cancel').addEventListener('click', () => void cancelRedrive());
  const searchForm = byId<HTMLFormElement>('search-form');
  searchForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void applySearch(searchForm);
  });
  byId('group-more').addEventListener('click', () => void moreGroupRecords());
  const editForm = byId<HTMLFormElement>('edit-form');
  editForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void submitEdit(editForm);
  });
  byId('logout').addEventListener('click', () => {
    void api('/api/logout', { method: 'POST', body: {} }).finally(() => {
      polling = false;
      show(false);
    });
  });
  try {
    start(await api('/api/session'));
  } catch {
    show(false);
  }
};

void init();
