// The few web-platform globals that both Node and browsers provide, declared for shared/, which is
// compiled without Node or DOM types so that it cannot reach for anything else.
declare class URL {
  constructor(url: string, base?: string);
  readonly href: string;
  readonly origin: string;
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly host: string;
  readonly hostname: string;
  readonly port: string;
  readonly pathname: string;
  readonly search: string;
  readonly hash: string;
  static canParse(url: string, base?: string): boolean;
}
