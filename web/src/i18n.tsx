import { createContext, useContext } from 'react';
import { exportEn, exportZh } from './export/strings.ts';

/** Chinese is the default; every visible string goes through t(). */
const zh: Record<string, string> = {
  appTitle: '一锁通 监控中心', login: '登录', username: '用户名', password: '密码', logout: '退出', loginFailed: '登录失败',
  map: '实时地图', alerts: '告警队列', trips: '运单', gate: '卡口控制台', stats: '统计', declare: '申报', myTrips: '我的运单', myAlerts: '我的告警',
  language: 'English', activeTrips: '在途车辆', live: '实时', reconnecting: '重连中',
  severity: '级别', type: '类型', state: '状态', age: '时长', trip: '运单', actions: '操作', all: '全部',
  acknowledge: '确认', resolve: '处置', disposition: '处置结果', incidentCode: '事件代码', comment: '说明', submit: '提交', cancel: '取消', none: '无',
  critical: '严重', warning: '警告', info: '提示', open: '未处理', acknowledged: '已确认', resolved: '已处置',
  sound: '声音提示', criticalBanner: '严重告警未处理', noAlerts: '没有告警',
  timeline: '时间轴', goods: '货物', sealSessions: '施封记录', playback: '轨迹回放', play: '播放', pause: '暂停', speed: '速度', noTrack: '暂无轨迹',
  plate: '车牌', route: '线路', direction: '方向', deadline: '时限', details: '详情', openTrip: '打开运单',
  lane: '车道', latestPassage: '最近通关', decision: '决定', reasons: '原因', override: '人工改判', reason: '理由', noPassage: '暂无通关', release: '放行', inspect: '查验', hold: '扣留',
  vehicle: '车辆', driver: '司机', origin: '起运地', destination: '目的地', hsCode: 'HS编码', description: '品名', packages: '件数', grossKg: '毛重kg', netKg: '净重kg', value: '货值', currency: '币种',
  addLine: '添加货物', removeLine: '删除', lodge: '提交申报', lodged: '申报已提交', required: '必填', netOverGross: '净重不能大于毛重', positive: '须大于0', hsInvalid: 'HS编码格式如 0805.21',
  tripsPerDay: '每日运单', transitByRoute: '各线路运输时长(分钟,中位数)', alertsByType: '告警类型', autoRelease: '自动放行率', timeSaved: '节省时间', goodsValue: '货值', exportCsv: '导出CSV', baseline: '基准',
  hours: '小时', days: '天数', loading: '加载中…', error: '错误', back: '返回',
  export: '出口', import: '进口',
  in_transit: '运输中', at_boundary: '抵达关界', handed_over: '已交接', sealed: '已施封', accepted: '已受理', arrived: '已抵达', unsealed: '已解封', inspection: '查验中', held: '扣留', suspended: '暂停', overdue: '超时', closed: '已结关', cancelled: '已撤销', submitted: '已申报', draft: '草稿',
  route_deviation: '偏离路线', unauthorised_stop: '违规停车', seal_opened: '开锁', tamper: '破坏', low_battery: '低电量', signal_lost: '信号丢失',
  false_alarm: '误报', driver_contacted: '已联系司机', unit_dispatched: '已派员', violation_confirmed: '确认违规',
  deviated_from_route: '偏离路线', seal_broken: '封志破损', goods_transferred: '货物转移', goods_unloaded: '货物卸下', carrier_unable_to_continue: '承运人无法继续', means_of_transport_changed: '运输工具变更',
  lifecycle: '流程', milestone: '里程碑', alert: '告警', passage: '通关',
};
const en: Record<string, string> = {
  appTitle: 'onelock Monitoring Centre', login: 'Log in', username: 'Username', password: 'Password', logout: 'Log out', loginFailed: 'Login failed',
  map: 'Live map', alerts: 'Alert queue', trips: 'Trips', gate: 'Gate console', stats: 'Statistics', declare: 'Declare', myTrips: 'My trips', myAlerts: 'My alerts',
  language: '中文', activeTrips: 'Active trips', live: 'Live', reconnecting: 'Reconnecting',
  severity: 'Severity', type: 'Type', state: 'State', age: 'Age', trip: 'Trip', actions: 'Actions', all: 'All',
  acknowledge: 'Acknowledge', resolve: 'Resolve', disposition: 'Disposition', incidentCode: 'Incident code', comment: 'Comment', submit: 'Submit', cancel: 'Cancel', none: 'None',
  critical: 'Critical', warning: 'Warning', info: 'Info', open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved',
  sound: 'Sound', criticalBanner: 'Unhandled critical alerts', noAlerts: 'No alerts',
  timeline: 'Timeline', goods: 'Goods', sealSessions: 'Seal sessions', playback: 'Track playback', play: 'Play', pause: 'Pause', speed: 'Speed', noTrack: 'No track yet',
  plate: 'Plate', route: 'Route', direction: 'Direction', deadline: 'Deadline', details: 'Details', openTrip: 'Open trip',
  lane: 'Lane', latestPassage: 'Latest passage', decision: 'Decision', reasons: 'Reasons', override: 'Override', reason: 'Reason', noPassage: 'No passage yet', release: 'Release', inspect: 'Inspect', hold: 'Hold',
  vehicle: 'Vehicle', driver: 'Driver', origin: 'Origin', destination: 'Destination', hsCode: 'HS code', description: 'Description', packages: 'Packages', grossKg: 'Gross kg', netKg: 'Net kg', value: 'Value', currency: 'Currency',
  addLine: 'Add goods line', removeLine: 'Remove', lodge: 'Lodge declaration', lodged: 'Declaration lodged', required: 'Required', netOverGross: 'Net weight cannot exceed gross', positive: 'Must be above 0', hsInvalid: 'HS code like 0805.21',
  tripsPerDay: 'Trips per day', transitByRoute: 'Transit time by route (median, min)', alertsByType: 'Alerts by type', autoRelease: 'Auto-release rate', timeSaved: 'Time saved', goodsValue: 'Goods value', exportCsv: 'Export CSV', baseline: 'baseline',
  hours: 'hours', days: 'Days', loading: 'Loading…', error: 'Error', back: 'Back',
  export: 'Export', import: 'Import',
  in_transit: 'In transit', at_boundary: 'At boundary', handed_over: 'Handed over', sealed: 'Sealed', accepted: 'Accepted', arrived: 'Arrived', unsealed: 'Unsealed', inspection: 'Inspection', held: 'Held', suspended: 'Suspended', overdue: 'Overdue', closed: 'Closed', cancelled: 'Cancelled', submitted: 'Submitted', draft: 'Draft',
  route_deviation: 'Route deviation', unauthorised_stop: 'Unauthorised stop', seal_opened: 'Seal opened', tamper: 'Tamper', low_battery: 'Low battery', signal_lost: 'Signal lost',
  false_alarm: 'False alarm', driver_contacted: 'Driver contacted', unit_dispatched: 'Unit dispatched', violation_confirmed: 'Violation confirmed',
  deviated_from_route: 'Deviated from route', seal_broken: 'Seal broken', goods_transferred: 'Goods transferred', goods_unloaded: 'Goods unloaded', carrier_unable_to_continue: 'Carrier unable to continue', means_of_transport_changed: 'Means of transport changed',
  lifecycle: 'Lifecycle', milestone: 'Milestone', alert: 'Alert', passage: 'Passage',
};
export type Lang = 'zh' | 'en';
export const dicts = { zh: { ...exportZh, ...zh }, en: { ...exportEn, ...en } };
export const LangCtx = createContext<{ lang: Lang; setLang: (l: Lang) => void }>({ lang: 'zh', setLang: () => {} });
export function useT() {
  const { lang } = useContext(LangCtx);
  return (k: string) => dicts[lang][k] ?? k;
}
