/**
 * The typed model of a MeMo message (https://DigitalPost.dk/MeMo-1), element for element as in MeMo_core.xsd and
 * the eight schemas it imports. Optional elements are optional properties (absent, never undefined-valued), repeated
 * ones are arrays, so a parsed message compares deep-equal to the same message parsed again after toMemoXml.
 * Dates and numbers stay strings as written (lossless; the schema has already checked their form). The schemas have
 * no open content (xs:any), so every element a valid message can carry is modelled here: no loosely typed "extra".
 */

export type MemoVersion = '1.1' | '1.2';

export type MemoMessageType = 'DIGITALPOST' | 'NEMSMS';

/** Action codes in use in Digital Post; the schema allows any text, so other codes parse with a warning. */
export const MEMO_ACTION_CODES = [
  'AFTALE',
  'BEKRAEFT',
  'BETALING',
  'FORBEREDELSE',
  'INFORMATION',
  'SELVBETJENING',
  'TILMELDING',
  'UNDERSKRIV',
] as const;
export type MemoActionCode = (typeof MEMO_ACTION_CODES)[number];

export interface MemoMessage {
  messageType: MemoMessageType;
  messageUUID: string;
  messageID?: string;
  messageCode?: string;
  label: string;
  notification?: string;
  additionalNotification?: string;
  /** Whether the recipient may reply. */
  reply?: boolean;
  replyByDateTime?: string;
  /** xs:date, e.g. 2025-09-15. */
  doNotDeliverUntilDate?: string;
  /** Required in 1.1, optional in 1.2 (the schema default is false). */
  mandatory?: boolean;
  /** Required in 1.1, optional in 1.2 (the schema default is false). */
  legalNotification?: boolean;
  postType?: string;
  sender: MemoSender;
  recipient: MemoRecipient;
  contentData?: MemoContentData;
  forwardData?: MemoForwardData;
  replyData: MemoReplyData[];
  /** MessageBody; absent e.g. for an NemSMS that carries only its notification. */
  body?: MemoBody;
}

export interface MemoSender {
  senderID: string;
  /** CVR, CPR, … as written by the sender. */
  idType: string;
  idTypeLabel?: string;
  label: string;
  attentionData?: MemoAttentionData;
  contactPoint?: MemoContactPoint;
  /** MeMo 1.2 only. */
  representative?: MemoRepresentative;
}

export interface MemoRepresentative {
  representativeID: string;
  idType: string;
  idTypeLabel?: string;
  label: string;
}

export interface MemoRecipient {
  recipientID: string;
  /** CPR, CVR, … as written by the sender. */
  idType: string;
  idTypeLabel?: string;
  label?: string;
  attentionData?: MemoAttentionData;
  contactPoint?: MemoContactPoint;
}

export interface MemoAttentionData {
  attentionPerson?: { personID?: string; label?: string };
  productionUnit?: MemoProductionUnit;
  globalLocationNumber?: { globalLocationNumber: string; location?: string };
  email?: { emailAddress: string; relatedAgent?: string };
  seNumber?: { seNumber: string; companyName?: string };
  telephone?: { telephoneNumber: string; relatedAgent?: string };
  eid?: { eID: string; label?: string };
  contentResponsible?: { contentResponsibleID?: string; label?: string };
  generatingSystem?: { generatingSystemID: string; label?: string };
  sorData?: { sorIdentifier: string; entryName?: string };
  address?: MemoAddress;
  /** grd:UnstructuredAddress/unstructured. */
  unstructuredAddress?: string;
}

export interface MemoProductionUnit {
  productionUnitNumber: string;
  productionUnitName?: string;
}

export interface MemoAddress {
  id?: string;
  addressLabel?: string;
  houseNumber?: string;
  door?: string;
  floor?: string;
  co?: string;
  zipCode?: string;
  city?: string;
  country?: string;
  addressPoint?: {
    geographicEastingMeasure?: string;
    geographicNorthingMeasure?: string;
    geographicHeightMeasure?: string;
  };
}

export interface MemoContactPoint {
  contactGroup?: string;
  contactPointID: string;
  label?: string;
  contactInfo: { label: string; value: string }[];
}

export interface MemoContentData {
  cprData?: { cprNumber: string; name?: string };
  cvrData?: { cvrNumber: string; companyName?: string };
  motorVehicle?: { licenseNumber: string; chassisNumber?: string };
  /** grd:PropertyNumber/propertyNumber. */
  propertyNumber?: string;
  caseID?: { caseID: string; caseSystem: string };
  kle?: { subjectKey: string; version: string; activityFacet?: string; label: string };
  form?: { taskKey: string; version: string; activityFacet?: string; label: string };
  productionUnit?: MemoProductionUnit;
  education?: { educationCode: string; educationName?: string };
  address?: MemoAddress;
  unstructuredAddress?: string;
  additionalContentData: { contentDataType?: string; contentDataName: string; contentDataValue: string }[];
}

export interface MemoForwardData {
  messageUUID: string;
  originalMessageDateTime: string;
  originalSender: string;
  originalContentResponsible?: string;
  /** MeMo 1.2 only. */
  originalRepresentative?: string;
  contactPointID?: string;
  comment?: string;
}

export interface MemoReplyData {
  messageID?: string;
  messageUUID: string;
  replyUUID?: string;
  senderID?: string;
  recipientID?: string;
  caseID?: string;
  contactPointID?: string;
  generatingSystemID?: string;
  comment?: string;
  additionalReplyData: { label: string; value: string }[];
}

export interface MemoBody {
  createdDateTime: string;
  mainDocument: MemoDocument;
  additionalDocuments: MemoDocument[];
  /** Technical documents carry no actions: their `actions` is always empty. */
  technicalDocuments: MemoDocument[];
}

export interface MemoDocument {
  /** mainDocumentID / additionalDocumentID / technicalDocumentID. */
  documentID?: string;
  label?: string;
  files: MemoFile[];
  actions: MemoAction[];
}

export interface MemoFile {
  /** MIME type, e.g. application/pdf. */
  encodingFormat: string;
  filename: string;
  /** Two-letter language code, e.g. da. */
  language: string;
  /** The decoded file (the XML carries it as base64). */
  content: Buffer;
}

export interface MemoAction {
  label: string;
  /** One of MEMO_ACTION_CODES in practice; the schema allows any text. */
  actionCode: MemoActionCode | (string & {});
  startDateTime?: string;
  endDateTime?: string;
  reservation?: MemoReservation;
  entryPoint?: { url: string };
}

export interface MemoReservation {
  description: string;
  reservationUUID: string;
  abstract: string;
  location: string;
  startDateTime: string;
  endDateTime: string;
  organizerMail?: string;
  organizerName?: string;
}
