export declare const API_CSP: string;
export declare function securityHeaders(production: boolean): Record<string, string>;
