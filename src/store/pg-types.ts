import pg from 'pg';

// bigint counts and numeric averages come back as numbers on both dialects, so code and tests
// never see strings from one and numbers from the other.
export const INT8_OID = 20;
export const NUMERIC_OID = 1700;

/** pg type parsing shared by the Node pool and the Workers (Hyperdrive) pool: int8 and numeric as numbers. */
export const numericTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
} as unknown as pg.CustomTypesConfig;
