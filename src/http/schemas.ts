import { Type } from 'typebox';

/*
 * TypeBox schemas shared by the JSON APIs of several modules (sending, notify, print, reachability, correspondence).
 */

export const RecipientInput = Type.Union(
  [
    Type.Object(
      { cpr: Type.String({ description: 'CPR number, DDMMYYSSSS or DDMMYY-SSSS' }) },
      { additionalProperties: false },
    ),
    Type.Object({ cvr: Type.String({ description: 'CVR number, 8 digits' }) }, { additionalProperties: false }),
  ],
  { description: 'The person (CPR) or business (CVR) the letter is for' },
);

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'Stable machine-readable error code' }),
    detail: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), code: Type.String(), detail: Type.String() })),
    ),
  },
  { additionalProperties: true },
);
