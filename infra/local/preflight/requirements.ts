/** What a command checks before it runs anything: `npm start` needs the broker's tools, `npm test` all of them. */
export const Purpose = { start: 'start', test: 'test' } as const;
export type Purpose = (typeof Purpose)[keyof typeof Purpose];

export const ToolId = {
  node: 'node',
  java: 'java',
  maven: 'maven',
  browser: 'browser',
  terraform: 'terraform',
  cfnLint: 'cfn-lint',
  shellcheck: 'shellcheck',
} as const;
export type ToolId = (typeof ToolId)[keyof typeof ToolId];

export interface InstallCommands {
  readonly debian: string;
  readonly macos: string;
}

export interface ToolRequirement {
  readonly id: ToolId;
  readonly title: string;
  /** What breaks without it, in the words a new user understands. */
  readonly usedBy: string;
  readonly neededFor: readonly Purpose[];
  /** Lowest accepted version, compared numerically part by part; undefined when any version works. */
  readonly minVersion?: string;
  readonly install: InstallCommands;
}

// HashiCorp's documented apt setup: Terraform is not in Debian or Ubuntu themselves.
// https://developer.hashicorp.com/terraform/install
const terraformApt =
  'wget -qO- https://apt.releases.hashicorp.com/gpg | sudo gpg --dearmor -o /usr/share/keyrings/hashicorp-archive-keyring.gpg' +
  ' && echo "deb [signed-by=/usr/share/keyrings/hashicorp-archive-keyring.gpg] https://apt.releases.hashicorp.com $(lsb_release -cs) main"' +
  ' | sudo tee /etc/apt/sources.list.d/hashicorp.list && sudo apt-get update && sudo apt-get install -y terraform';

/** Every tool the two commands depend on, in the order the report lists them. */
export const TOOL_REQUIREMENTS: readonly ToolRequirement[] = [
  {
    id: ToolId.node,
    title: 'Node.js',
    usedBy: 'everything',
    neededFor: [Purpose.start, Purpose.test],
    minVersion: '20.19',
    install: {
      debian:
        'curl -fsSL https://deb.nodesource.com/setup_20.x | sudo -E bash - && sudo apt-get install -y nodejs',
      macos: 'brew install node@20',
    },
  },
  {
    id: ToolId.java,
    title: 'Java',
    usedBy: 'the local Kafka broker',
    neededFor: [Purpose.start, Purpose.test],
    minVersion: '17',
    install: {
      debian: 'sudo apt-get install -y openjdk-17-jre-headless   (Debian 13: openjdk-21-jre-headless)',
      macos: 'brew install --cask temurin@17',
    },
  },
  {
    id: ToolId.maven,
    title: 'Maven',
    usedBy: 'fetching the Kafka jars from Maven Central',
    neededFor: [Purpose.start, Purpose.test],
    install: { debian: 'sudo apt-get install -y maven', macos: 'brew install maven' },
  },
  {
    id: ToolId.browser,
    title: 'Chromium-family browser',
    usedBy: 'the browser tests (test/e2e)',
    neededFor: [Purpose.test],
    install: {
      debian:
        'sudo apt-get install -y chromium   (Ubuntu: sudo snap install chromium; or set CHROMIUM_PATH to any Chrome/Chromium)',
      macos: 'brew install --cask google-chrome',
    },
  },
  {
    id: ToolId.terraform,
    title: 'Terraform',
    usedBy: 'the Terraform checks (test/infra)',
    neededFor: [Purpose.test],
    minVersion: '1.11.0',
    install: {
      debian: terraformApt,
      macos: 'brew tap hashicorp/tap && brew install hashicorp/tap/terraform',
    },
  },
  {
    id: ToolId.cfnLint,
    title: 'cfn-lint',
    usedBy: 'the CloudFormation template checks (test/infra)',
    neededFor: [Purpose.test],
    install: {
      debian: 'sudo apt-get install -y pipx && pipx install cfn-lint && pipx ensurepath',
      macos: 'brew install cfn-lint',
    },
  },
  {
    id: ToolId.shellcheck,
    title: 'ShellCheck',
    usedBy: 'the shell script checks',
    neededFor: [Purpose.test],
    install: { debian: 'sudo apt-get install -y shellcheck', macos: 'brew install shellcheck' },
  },
];

/** The requirements of one command; `skip` drops tools the caller made unnecessary (an external Kafka cluster). */
export const requirementsFor = (purpose: Purpose, skip: readonly ToolId[] = []): readonly ToolRequirement[] =>
  TOOL_REQUIREMENTS.filter((tool) => tool.neededFor.includes(purpose) && !skip.includes(tool.id));
