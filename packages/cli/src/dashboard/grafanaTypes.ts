/** The parts of Grafana's dashboard JSON model this generator writes. */
export interface GrafanaDatasourceRef {
  readonly type: 'prometheus';
  readonly uid: string;
}

export interface GrafanaTarget {
  readonly refId: string;
  readonly datasource: GrafanaDatasourceRef;
  readonly expr: string;
  readonly legendFormat: string;
  readonly instant: boolean;
  readonly range: boolean;
}

export interface GrafanaPanel {
  readonly id: number;
  readonly type: 'bargauge' | 'timeseries' | 'stat';
  readonly title: string;
  readonly description: string;
  readonly datasource: GrafanaDatasourceRef;
  readonly gridPos: { readonly h: number; readonly w: number; readonly x: number; readonly y: number };
  readonly targets: readonly GrafanaTarget[];
  readonly fieldConfig: { readonly defaults: Record<string, unknown>; readonly overrides: readonly unknown[] };
  readonly options: Record<string, unknown>;
}

export interface GrafanaDashboard {
  readonly uid: string;
  readonly title: string;
  readonly schemaVersion: number;
  readonly panels: readonly GrafanaPanel[];
  readonly templating: { readonly list: readonly Record<string, unknown>[] };
  readonly [key: string]: unknown;
}
