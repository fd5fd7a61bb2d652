/** Writes a MemoMessage as a MeMo 1.1 or 1.2 document, elements in schema order, UTF-8, tab-indented. */
import { MemoError } from './memo-errors.ts';
import type {
  MemoAction,
  MemoAddress,
  MemoAttentionData,
  MemoContactPoint,
  MemoContentData,
  MemoDocument,
  MemoMessage,
  MemoProductionUnit,
  MemoVersion,
} from './memo-model.ts';
import { MEMO_NAMESPACES } from './memo-read.ts';

type XNode = { name: string; text: string } | { name: string; children: XNode[] };
type Part = XNode | undefined;

const leaf = (name: string, value: string | boolean | undefined): Part =>
  value === undefined ? undefined : { name, text: String(value) };
const node = (name: string, ...children: Part[]): XNode => ({
  name,
  children: children.filter((c): c is XNode => c !== undefined),
});

const escapeText = (text: string) =>
  text.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;'));
const escapeAttribute = (text: string) => escapeText(text).replace(/"/g, '&quot;');

function render(n: XNode, depth: number, out: string[]): void {
  const indent = '\t'.repeat(depth);
  if ('text' in n) out.push(`${indent}<${n.name}>${escapeText(n.text)}</${n.name}>`);
  else if (n.children.length === 0) out.push(`${indent}<${n.name}/>`);
  else {
    out.push(`${indent}<${n.name}>`);
    for (const c of n.children) render(c, depth + 1, out);
    out.push(`${indent}</${n.name}>`);
  }
}

function unsupported(what: string): never {
  throw new MemoError('memo_export_unsupported', `${what} cannot be written as MeMo 1.1; export it as MeMo 1.2.`);
}

/** Serialises a message as a MeMo document of the given version; refuses 1.2-only content when asked for 1.1. */
export function toMemoXml(message: MemoMessage, version: MemoVersion): string {
  const v11 = version === '1.1';
  const m = message;
  if (v11 && m.sender.representative) unsupported('Sender/Representative (a MeMo 1.2 element)');
  if (v11 && m.forwardData?.originalRepresentative !== undefined) {
    unsupported('ForwardData/originalRepresentative (a MeMo 1.2 element)');
  }
  const header = node(
    'memo:MessageHeader',
    leaf('memo:messageType', m.messageType),
    leaf('memo:messageUUID', m.messageUUID),
    leaf('memo:messageID', m.messageID),
    leaf('memo:messageCode', m.messageCode),
    leaf('memo:label', m.label),
    leaf('memo:notification', m.notification),
    leaf('memo:additionalNotification', m.additionalNotification),
    leaf('memo:reply', m.reply),
    leaf('memo:replyByDateTime', m.replyByDateTime),
    leaf('memo:doNotDeliverUntilDate', m.doNotDeliverUntilDate),
    // Required in 1.1, where absence means the schema default, false.
    leaf('memo:mandatory', m.mandatory ?? (v11 ? false : undefined)),
    leaf('memo:legalNotification', m.legalNotification ?? (v11 ? false : undefined)),
    leaf('memo:postType', m.postType),
    node(
      'memo:Sender',
      leaf('memo:senderID', m.sender.senderID),
      leaf('memo:idType', m.sender.idType),
      leaf('memo:idTypeLabel', m.sender.idTypeLabel),
      leaf('memo:label', m.sender.label),
      attentionData(m.sender.attentionData),
      contactPoint(m.sender.contactPoint),
      m.sender.representative &&
        node(
          'memo:Representative',
          leaf('memo:representativeID', m.sender.representative.representativeID),
          leaf('memo:idType', m.sender.representative.idType),
          leaf('memo:idTypeLabel', m.sender.representative.idTypeLabel),
          leaf('memo:label', m.sender.representative.label),
        ),
    ),
    node(
      'memo:Recipient',
      leaf('memo:recipientID', m.recipient.recipientID),
      leaf('memo:idType', m.recipient.idType),
      leaf('memo:idTypeLabel', m.recipient.idTypeLabel),
      leaf('memo:label', m.recipient.label),
      attentionData(m.recipient.attentionData),
      contactPoint(m.recipient.contactPoint),
    ),
    m.contentData && contentData(m.contentData),
    m.forwardData &&
      node(
        'memo:ForwardData',
        leaf('memo:messageUUID', m.forwardData.messageUUID),
        leaf('memo:originalMessageDateTime', m.forwardData.originalMessageDateTime),
        leaf('memo:originalSender', m.forwardData.originalSender),
        leaf('memo:originalContentResponsible', m.forwardData.originalContentResponsible),
        leaf('memo:originalRepresentative', m.forwardData.originalRepresentative),
        leaf('memo:contactPointID', m.forwardData.contactPointID),
        leaf('memo:comment', m.forwardData.comment),
      ),
    ...m.replyData.map((r) =>
      node(
        'memo:ReplyData',
        leaf('memo:messageID', r.messageID),
        leaf('memo:messageUUID', r.messageUUID),
        leaf('memo:replyUUID', r.replyUUID),
        leaf('memo:senderID', r.senderID),
        leaf('memo:recipientID', r.recipientID),
        leaf('memo:caseID', r.caseID),
        leaf('memo:contactPointID', r.contactPointID),
        leaf('memo:generatingSystemID', r.generatingSystemID),
        leaf('memo:comment', r.comment),
        ...r.additionalReplyData.map((a) =>
          node('memo:AdditionalReplyData', leaf('memo:label', a.label), leaf('memo:value', a.value)),
        ),
      ),
    ),
  );
  const body =
    m.body &&
    node(
      'memo:MessageBody',
      leaf('memo:createdDateTime', m.body.createdDateTime),
      document('memo:MainDocument', 'memo:mainDocumentID', m.body.mainDocument),
      ...m.body.additionalDocuments.map((d) => document('memo:AdditionalDocument', 'memo:additionalDocumentID', d)),
      ...m.body.technicalDocuments.map((d) => {
        if (d.actions.length) {
          throw new MemoError('memo_export_unsupported', 'A MeMo TechnicalDocument cannot carry actions.');
        }
        return document('memo:TechnicalDocument', 'memo:technicalDocumentID', d);
      }),
    );

  const namespaces = Object.entries(MEMO_NAMESPACES)
    .map(([prefix, uri]) => ` xmlns:${prefix}="${escapeAttribute(uri)}"`)
    .join('');
  const versionAttributes = v11 ? ' memoVersion="1.1" memoSchVersion="1.1.0"' : ' memoVersion="1.2"';
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<memo:Message${namespaces}${versionAttributes}>`];
  render(header, 1, out);
  if (body) render(body, 1, out);
  out.push('</memo:Message>', '');
  return out.join('\n');
}

function attentionData(a: MemoAttentionData | undefined): Part {
  if (!a) return undefined;
  return node(
    'memo:AttentionData',
    a.attentionPerson &&
      node(
        'memo:AttentionPerson',
        leaf('memo:personID', a.attentionPerson.personID),
        leaf('memo:label', a.attentionPerson.label),
      ),
    productionUnit(a.productionUnit),
    a.globalLocationNumber &&
      node(
        'gln:GlobalLocationNumber',
        leaf('gln:globalLocationNumber', a.globalLocationNumber.globalLocationNumber),
        leaf('gln:location', a.globalLocationNumber.location),
      ),
    a.email &&
      node(
        'memo:EMail',
        leaf('memo:emailAddress', a.email.emailAddress),
        leaf('memo:relatedAgent', a.email.relatedAgent),
      ),
    a.seNumber &&
      node('grd:SEnumber', leaf('grd:seNumber', a.seNumber.seNumber), leaf('grd:companyName', a.seNumber.companyName)),
    a.telephone &&
      node(
        'memo:Telephone',
        leaf('memo:telephoneNumber', a.telephone.telephoneNumber),
        leaf('memo:relatedAgent', a.telephone.relatedAgent),
      ),
    a.eid && node('grd:EID', leaf('grd:eID', a.eid.eID), leaf('grd:label', a.eid.label)),
    a.contentResponsible &&
      node(
        'memo:ContentResponsible',
        leaf('memo:contentResponsibleID', a.contentResponsible.contentResponsibleID),
        leaf('memo:label', a.contentResponsible.label),
      ),
    a.generatingSystem &&
      node(
        'memo:GeneratingSystem',
        leaf('memo:generatingSystemID', a.generatingSystem.generatingSystemID),
        leaf('memo:label', a.generatingSystem.label),
      ),
    a.sorData &&
      node(
        'sor:SORdata',
        leaf('sor:sorIdentifier', a.sorData.sorIdentifier),
        leaf('sor:entryName', a.sorData.entryName),
      ),
    address(a.address),
    unstructuredAddress(a.unstructuredAddress),
  );
}

function productionUnit(p: MemoProductionUnit | undefined): Part {
  return (
    p &&
    node(
      'grd:ProductionUnit',
      leaf('grd:productionUnitNumber', p.productionUnitNumber),
      leaf('grd:productionUnitName', p.productionUnitName),
    )
  );
}

function address(a: MemoAddress | undefined): Part {
  if (!a) return undefined;
  const p = a.addressPoint;
  return node(
    'grd:Address',
    leaf('grd:id', a.id),
    leaf('grd:addressLabel', a.addressLabel),
    leaf('grd:houseNumber', a.houseNumber),
    leaf('grd:door', a.door),
    leaf('grd:floor', a.floor),
    leaf('grd:co', a.co),
    leaf('grd:zipCode', a.zipCode),
    leaf('grd:city', a.city),
    leaf('grd:country', a.country),
    p &&
      node(
        'grd:AddressPoint',
        leaf('grd:geographicEastingMeasure', p.geographicEastingMeasure),
        leaf('grd:geographicNorthingMeasure', p.geographicNorthingMeasure),
        leaf('grd:geographicHeightMeasure', p.geographicHeightMeasure),
      ),
  );
}

const unstructuredAddress = (text: string | undefined): Part =>
  text === undefined ? undefined : node('grd:UnstructuredAddress', leaf('grd:unstructured', text));

function contactPoint(c: MemoContactPoint | undefined): Part {
  if (!c) return undefined;
  return node(
    'memo:ContactPoint',
    leaf('memo:contactGroup', c.contactGroup),
    leaf('memo:contactPointID', c.contactPointID),
    leaf('memo:label', c.label),
    ...c.contactInfo.map((i) => node('memo:ContactInfo', leaf('memo:label', i.label), leaf('memo:value', i.value))),
  );
}

function contentData(c: MemoContentData): XNode {
  return node(
    'memo:ContentData',
    c.cprData && node('grd:CPRdata', leaf('grd:cprNumber', c.cprData.cprNumber), leaf('grd:name', c.cprData.name)),
    c.cvrData &&
      node('grd:CVRdata', leaf('grd:cvrNumber', c.cvrData.cvrNumber), leaf('grd:companyName', c.cvrData.companyName)),
    c.motorVehicle &&
      node(
        'dmv:MotorVehicle',
        leaf('dmv:licenseNumber', c.motorVehicle.licenseNumber),
        leaf('dmv:chassisNumber', c.motorVehicle.chassisNumber),
      ),
    c.propertyNumber === undefined
      ? undefined
      : node('grd:PropertyNumber', leaf('grd:propertyNumber', c.propertyNumber)),
    c.caseID && node('memo:CaseID', leaf('memo:caseID', c.caseID.caseID), leaf('memo:caseSystem', c.caseID.caseSystem)),
    c.kle &&
      node(
        'kle:KLEdata',
        leaf('kle:subjectKey', c.kle.subjectKey),
        leaf('kle:version', c.kle.version),
        leaf('kle:activityFacet', c.kle.activityFacet),
        leaf('kle:label', c.kle.label),
      ),
    c.form &&
      node(
        'form:FORMdata',
        leaf('form:taskKey', c.form.taskKey),
        leaf('form:version', c.form.version),
        leaf('form:activityFacet', c.form.activityFacet),
        leaf('form:label', c.form.label),
      ),
    productionUnit(c.productionUnit),
    c.education &&
      node(
        'udd:Education',
        leaf('udd:educationCode', c.education.educationCode),
        leaf('udd:educationName', c.education.educationName),
      ),
    address(c.address),
    unstructuredAddress(c.unstructuredAddress),
    ...c.additionalContentData.map((a) =>
      node(
        'memo:AdditionalContentData',
        leaf('memo:contentDataType', a.contentDataType),
        leaf('memo:contentDataName', a.contentDataName),
        leaf('memo:contentDataValue', a.contentDataValue),
      ),
    ),
  );
}

function document(name: string, idName: string, d: MemoDocument): XNode {
  return node(
    name,
    leaf(idName, d.documentID),
    leaf('memo:label', d.label),
    ...d.files.map((f) =>
      node(
        'memo:File',
        leaf('memo:encodingFormat', f.encodingFormat),
        leaf('memo:filename', f.filename),
        leaf('memo:language', f.language),
        leaf('memo:content', f.content.toString('base64')),
      ),
    ),
    ...d.actions.map(action),
  );
}

function action(a: MemoAction): XNode {
  const r = a.reservation;
  return node(
    'memo:Action',
    leaf('memo:label', a.label),
    leaf('memo:actionCode', a.actionCode),
    leaf('memo:startDateTime', a.startDateTime),
    leaf('memo:endDateTime', a.endDateTime),
    r &&
      node(
        'memo:Reservation',
        leaf('memo:description', r.description),
        leaf('memo:reservationUUID', r.reservationUUID),
        leaf('memo:abstract', r.abstract),
        leaf('memo:location', r.location),
        leaf('memo:startDateTime', r.startDateTime),
        leaf('memo:endDateTime', r.endDateTime),
        leaf('memo:organizerMail', r.organizerMail),
        leaf('memo:organizerName', r.organizerName),
      ),
    a.entryPoint && node('memo:EntryPoint', leaf('memo:url', a.entryPoint.url)),
  );
}
