// The wire envelope (ros-api.md §1.5, §3.1): JSON by default, XML for Format=XML. Errors carry
// RequestId, HostId, Code, Message and Recommend; success bodies never carry Code (pop-core
// would treat it as an error).
import { XMLBuilder } from 'fast-xml-parser';
import type { ApiError } from './errors.ts';

export type ResponseFormat = 'JSON' | 'XML';

const JSON_TYPE = 'application/json;charset=utf-8';
const XML_TYPE = 'text/xml;charset=utf-8';
const xml = new XMLBuilder({ ignoreAttributes: true, suppressEmptyNode: false });

export interface Rendered {
  status: number;
  contentType: string;
  body: string;
}

export function renderSuccess(action: string, body: Record<string, unknown>, format: ResponseFormat): Rendered {
  if (format === 'XML') {
    return { status: 200, contentType: XML_TYPE, body: `<?xml version="1.0" encoding="UTF-8"?>${xml.build({ [`${action}Response`]: body })}` };
  }
  return { status: 200, contentType: JSON_TYPE, body: JSON.stringify(body) };
}

export function errorBody(error: ApiError, requestId: string, host: string): Record<string, string> {
  return {
    RequestId: requestId,
    HostId: host,
    Code: error.code,
    Message: error.message,
    Recommend: `https://next.api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=ROS`,
  };
}

export function renderError(error: ApiError, requestId: string, host: string, format: ResponseFormat): Rendered {
  const body = errorBody(error, requestId, host);
  if (format === 'XML') {
    return { status: error.status, contentType: XML_TYPE, body: `<?xml version="1.0" encoding="UTF-8"?>${xml.build({ Error: body })}` };
  }
  return { status: error.status, contentType: JSON_TYPE, body: JSON.stringify(body) };
}
